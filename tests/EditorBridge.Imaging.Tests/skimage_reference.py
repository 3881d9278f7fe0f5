# Reference PSNR/SSIM values for QualityMetricsTests, from an independent implementation:
# scikit-image 0.19.3 (Debian 12 python3-skimage). Run: /usr/bin/python3 tests/EditorBridge.Imaging.Tests/skimage_reference.py
import numpy as np, imageio as iio
from skimage.metrics import structural_similarity as ssim, peak_signal_noise_ratio as psnr
import os
P=os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'data', 'photos') + '/'
def rgb(n):
    im=iio.imread(P+n)
    if im.ndim==2: im=np.stack([im]*3,-1)
    return im[...,:3].astype(np.uint8)
def report(name,a,b,mask=None):
    kw=dict(gaussian_weights=True,sigma=1.5,use_sample_covariance=False,data_range=255,channel_axis=2)
    if mask is None:
        s=ssim(a,b,**kw); p=psnr(a,b,data_range=255)
    else:
        _,S=ssim(a,b,full=True,**kw); s=S.mean(axis=2)[mask].mean()
        d=(a.astype(float)-b)[mask]; p=10*np.log10(255**2/np.mean(d**2))
    print(f'{name}: PSNR {p:.6f} SSIM {s:.6f}')
a=rgb('astronaut.png'); report('astronaut shift1', a[0:128,0:128], a[1:129,1:129])
c=rgb('camera.png'); report('camera shift2', c[200:328,200:328], c[202:330,202:330])
k=rgb('coffee.png')[100:228,200:328]; g=(k.astype(int)*k.astype(int)//255).astype(np.uint8); report('coffee gamma', k, g)
yy,xx=np.mgrid[0:128,0:128]; m=(xx-64)**2+(yy-60)**2<=30**2
report('coffee gamma disc', k, g, m)
ch=rgb('chelsea.png')[50:150,100:250]; report('chelsea vs half-step', ch, (ch//2*2).astype(np.uint8))
